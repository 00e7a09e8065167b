"""verifyCredentials: one cheap signed call, and a reason that names the wrong part.

ListOrders with one result per page checks everything a flow needs: the
access key, the secret (the signature), the seller id and auth token, and
that the seller sells in the chosen marketplace.
"""

from datetime import timedelta

from . import errors
from .client import client_from_cfg
from .signing import timestamp
from .transport import RetryPolicy

_REASONS = {
    "InvalidAccessKeyId": "Amazon MWS Access Key is not recognised by Amazon ({message})",
    "InvalidClientTokenId": "Amazon MWS Access Key is not recognised by Amazon ({message})",
    "SignatureDoesNotMatch": "Amazon MWS Secret Access Key does not belong to this Access Key: "
                             "the request signature did not match ({message})",
    "AccessDenied": "Seller ID or MWS Auth Token is not authorised for this developer account ({message})",
    "InvalidParameterValue": "Seller ID, MWS Auth Token or marketplace was refused ({message})",
    "RequestExpired": "this machine's clock is more than 15 minutes off ({message})",
    "InvalidAddress": "the endpoint does not serve MWS ({message})",
}


def verify(cfg):
    try:
        client = client_from_cfg(cfg, retry=RetryPolicy(max_elapsed=45, max_attempts=3))
        since = client.server_now() - timedelta(days=1)
        client.call("ListOrders", MarketplaceId=[client.credentials.marketplace_id],
                    CreatedAfter=timestamp(since), MaxResultsPerPage=1)
    except errors.ConfigurationError as exc:
        return {"verified": False, "reason": str(exc)}
    except errors.MwsError as exc:
        if exc.code in errors.THROTTLE_CODES and exc.status == 503:
            return {"verified": True}  # authenticated and counted against the seller's quota: just busy
        template = _REASONS.get(exc.code, "Amazon refused the credentials: {code}: {message}")
        return {"verified": False, "reason": template.format(message=exc.message, code=exc.code)}
    except errors.TransportError as exc:
        return {"verified": False, "reason": f"the endpoint {cfg.get('endpoint') or 'of the marketplace'} "
                                             f"is unreachable: {exc}"}
    except errors.ResponseError as exc:
        return {"verified": False, "reason": f"the endpoint did not answer like MWS: {exc}"}
    return {"verified": True}
