"""Orders: the generated order book and the MWS face's Orders section.

Shared by any face: store (orders and their versions over server time),
datagen (seeded orders), models (Order, OrderItem, what a status shows),
markets (per-marketplace currency, names and places). The MWS face's part:
section (the Orders API 2013-09-01 operations) and elements (its Order and
OrderItem elements).
"""
