"""What every API view shares: token sign-in and gates (auth.py), refusals as problem+json and paging (errors.py),
the base views (views.py), the OpenAPI description and its pages (docs.py)."""
