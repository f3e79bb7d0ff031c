"""Sign-in letters (登录通知书): a printed one-time link and QR per person, valid for a set
number of days, with which a new account chooses its own password."""
