"""verifyCredentials: one cheap call to the seller's account, and a reason that names the wrong part.

What the answers mean:
- the call succeeds: verified;
- Amazon throttles it (a real server throttle, `outcome_kind == "throttled"`): verified. Amazon
  counts a request against the seller's quota only once it has authenticated it, so the
  credentials were accepted; the service is just busy;
- our own quota for this seller is used up (QuotaExhausted): NOT verified, with a reason that
  says so and when to try again. No request was sent, so nothing was checked: the credentials
  were not refused either, but a verifier must never say yes to credentials it did not check
  (the local buckets are shared by every step for this seller id in the process, whatever its
  keys). A fresh process, as the platform starts for verifyCredentials, never has this case;
- Amazon refuses it: not verified, the reason naming the part that is wrong.
"""

from . import errors
from .account import open_account
from .credentials import credentials_from_cfg
from .retry import RetryPolicy

RETRY = RetryPolicy(max_elapsed=45, max_attempts=3)  # the credentials form waits for this answer

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
        account = open_account(credentials_from_cfg(cfg), retry=RETRY)
        account.verify()
    except (errors.ConfigurationError, errors.CredentialsRefused) as exc:
        return {"verified": False, "reason": str(exc)}
    except errors.QuotaExhausted as exc:
        return {"verified": False, "reason": f"the credentials could not be checked now: the seller's request quota "
                                             f"is used up here; try again in {max(1, round(exc.retry_after))} s"}
    except errors.ApiError as exc:
        if exc.outcome_kind == "throttled":
            return {"verified": True}  # authenticated and counted against the seller's quota: just busy
        template = _REASONS.get(exc.code, "Amazon refused the credentials: {code}: {message}")
        return {"verified": False, "reason": template.format(message=exc.message, code=exc.code)}
    except errors.TransportError as exc:
        return {"verified": False, "reason": f"the endpoint {cfg.get('endpoint') or 'of the marketplace'} "
                                             f"is unreachable: {exc}"}
    except errors.ResponseError as exc:
        return {"verified": False, "reason": f"the endpoint did not answer like Amazon: {exc}"}
    return {"verified": True}
