"""Sign in with EU Login, the Commission's OpenID provider (docs/security.md, "EU Login").

django-allauth's `openid_connect` provider does the flow (state, PKCE, the code exchange); this package adds what
EU Login needs and allauth lacks: `client_secret_jwt` client authentication (RFC 7523), a nonce, and an ID token
checked whole, its signature included (`client.py`); provisioning that links a sign-in to an account made first and
never makes one, and keeps an unknown person in the session for the access request page (`provisioning.py`); the
level of assurance as the portal's second factor, and the minimum the portal accepts (`factor.py`); why a sign-in
was refused, in words (`reasons.py`).
"""
