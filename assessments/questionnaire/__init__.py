"""What the questionnaire is made of: its sections' forms and stable keys (sections.py), the suppliers' share rule
(shares.py), the questionnaire as data for the API (data.py), and answers as a person reads them (display.py)."""
