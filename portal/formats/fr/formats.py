# French as the EU institutions write it: "vendredi 5 février 2027", "5 fév." abbreviated with a full stop as
# Django's "N" writes it ("fév.", "juil."; its "M" would write "Jui" for both June and July). What is not named here
# is Django's own (django/conf/locale/fr/formats.py): input formats, number separators.
DATE_FORMAT = "j F Y"
WEEKDAY_DATE_FORMAT = "l j F Y"
SHORT_DATE_FORMAT = "j N Y"
MONTH_DAY_FORMAT = "j F"
DATETIME_FORMAT = "j F Y, H:i"
DATETIME_SECONDS_FORMAT = "j F Y, H:i:s"
SHORT_DATETIME_FORMAT = "j N Y, H:i"
SHORT_DATETIME_SECONDS_FORMAT = "j N Y, H:i:s"
MONTH_DAY_TIME_FORMAT = "j F, H:i"
SHORT_MONTH_DAY_TIME_FORMAT = "j N, H:i"
TIME_FORMAT = "H:i"
TIME_SECONDS_FORMAT = "H:i:s"
