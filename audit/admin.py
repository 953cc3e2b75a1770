# The access log is not on the admin site: administrators (and superusers) do not read it.
# Information governance officers read their agency's log on its own page (accounts.views).
