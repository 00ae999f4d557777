"""How Japanese pages write dates: 2026年12月2日 and 2026年12月2日 8:39 (JST, TIME_ZONE), the
same on every page, viewflow's included. Django's own Japanese formats run the time into the
date ("2026年12月2日8:39"); everything else is Django's."""

DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 G:i"
SHORT_DATE_FORMAT = "Y/m/d"
SHORT_DATETIME_FORMAT = "Y/m/d G:i"
# to the second, where an audit needs it (the decision trace): 2026年12月2日 19:26:03; not one
# of Django's format names, read by web.templatetags.kofu.when_precise
DATETIME_PRECISE_FORMAT = "Y年n月j日 G:i:s"
