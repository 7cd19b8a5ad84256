"""HTML to PDF with WeasyPrint, the one place that loads it.

WeasyPrint loads Pango when imported, so it is imported when a PDF is first asked for, not when the portal starts.
"""


def html_to_pdf(html, base_url):
    from weasyprint import HTML  # deliberately late: see the module docstring

    return HTML(string=html, base_url=base_url).write_pdf()
