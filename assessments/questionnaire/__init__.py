"""What the questionnaire is made of: its sections' forms and stable keys (sections.py), the questions a reviewer
asks about (questions.py), the share rule (shares.py), as data for the API (data.py), answers as read (display.py)."""
