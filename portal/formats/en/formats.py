# English as the EU institutions write it ("15 July 2019", 24-hour clock), not Django's American default.
# One format per purpose: portal/formats/__init__.py names them; fr/ and de/ define the same names.
DATE_FORMAT = "j F Y"
WEEKDAY_DATE_FORMAT = "l j F Y"
SHORT_DATE_FORMAT = "j M Y"
MONTH_DAY_FORMAT = "j F"
DATETIME_FORMAT = "j F Y, H:i"
DATETIME_SECONDS_FORMAT = "j F Y, H:i:s"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_SECONDS_FORMAT = "j M Y, H:i:s"
MONTH_DAY_TIME_FORMAT = "j F, H:i"
SHORT_MONTH_DAY_TIME_FORMAT = "j M, H:i"
TIME_FORMAT = "H:i"
TIME_SECONDS_FORMAT = "H:i:s"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"]
