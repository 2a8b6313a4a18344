"""The labour roster: members with labour capacity of lifted and monitored households, in step with monitoring-api."""
