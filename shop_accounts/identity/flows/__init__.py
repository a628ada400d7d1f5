"""Sign-in flows of our own ways in (emailed sign-in link, invitation) and of
the signed-in devices list, shared by the HTML views and the JSON API to come.

A flow is what a view did after parsing its input: spend the token, record
how the customer authenticated, prove the email, and hand over to allauth's
login stages (two-factor included), or end sessions. It takes the request,
because allauth's session-bound steps need it, and returns allauth's
response or raises a typed error from `identity.errors`. HTML views render or
redirect on that; a JSON view reads `request.user` and the pending login
stage instead of the response, as allauth's headless views do with allauth's
own flows (`allauth/account/internal/flows/`, the model for these).
"""
