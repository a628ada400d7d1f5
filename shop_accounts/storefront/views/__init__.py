"""Shop pages and My Account, one module per area (pages, catalog, cart,
account, contact, language). Views stay thin: parse, call, render."""
