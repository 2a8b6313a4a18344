"""The registry benchmark: household detail and scoped lists at a million people, beside a bare FastAPI app."""
