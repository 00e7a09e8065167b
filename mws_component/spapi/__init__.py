"""The Selling Partner API (SP-API) side of the connector.

Built to the request pipeline's interfaces (an Authoriser, an Envelope and a
QuotaModel per API; the SellerAccount seam for the functions):

- credentials.py: SpApiCredentials, the marketplaces → region → host table, api_of(cfg)
- lwa.py: LwaAuthoriser, the Login with Amazon refresh-token grant and its token cache
- envelope.py: the JSON envelope (success bodies, `{"errors": [...]}` bodies)
- errors.py: SpApiError, LwaError
- operations.py: the SP-API operations as data (path, method, usage plan, arrays, ...)
- quota.py: per-operation token buckets corrected by x-amzn-RateLimit-Limit
- orders.py: Orders API 2026-01-01 orders and items mapped into schemas/order.json, orderItem.json
- account.py: SpApiAccount, the SellerAccount for the Orders side
"""
