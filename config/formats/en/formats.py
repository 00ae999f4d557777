"""How English pages write dates: 2 December 2026 and 2 December 2026, 08:39 (JST)."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
# to the second, where an audit needs it (the decision trace): 2 Dec 2026 19:26:03
DATETIME_PRECISE_FORMAT = "j M Y H:i:s"
