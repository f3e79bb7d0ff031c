"""The demo campaign behind ``make run``: above every app, since it fills all of them."""
