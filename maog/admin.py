"""Nothing of the MAOG is in the admin site, on purpose: administrators manage reference data
and accounts, never records about people (being admin gives no access to a person of concern,
an allegation or intelligence). MAOG records are read and changed only through maog.views,
which ask maog.permissions."""
