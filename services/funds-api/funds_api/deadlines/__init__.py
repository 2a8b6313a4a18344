"""GET /deadlines of funds-api: each domain contributes its deadlines from the one definition of its rule."""
