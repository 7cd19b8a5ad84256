"""What an uploaded file is, checked before anything keeps it: its kind from its content (documents.py), zip archives
within limits (archives.py), active content (office_content.py, pdf_content.py), classification markings
(classification.py, in the text document_text.py reads), the virus scan (scanning.py)."""
