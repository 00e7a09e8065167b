"""verifyCredentials of the fixture: the secret "good" passes, "explode" raises, anything else fails."""


def verify(cfg):
    if cfg.get("apiSecret") == "explode":
        raise PermissionError("the account is locked")
    if cfg.get("apiSecret") == "good":
        return {"verified": True}
    return {"verified": False, "reason": "wrong secret"}
