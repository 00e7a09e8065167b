"""Parsing untrusted XML answers.

Entities are never resolved and nothing is fetched from the network, so an
XXE or billion-laughs body is refused rather than expanded; a document that
declares a DTD at all is refused, since MWS never sends one.
"""

from lxml import etree

from .errors import ResponseError

_PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, load_dtd=False,
                       dtd_validation=False, huge_tree=False, remove_comments=True,
                       remove_pis=True)


def _parser(recover=False):
    return etree.XMLParser(recover=recover, **_PARSER_OPTIONS)


def _refuse_dtd(root, what):
    if root.getroottree().docinfo.doctype or root.getroottree().docinfo.internalDTD is not None:
        raise ResponseError(f"{what}: document declares a DTD, which MWS never sends; refused")


def parse(body, what="response"):
    """The root element of `body` (bytes), or ResponseError saying why not.

    Amazon's own documentation examples break the namespace URI across lines;
    libxml2 reports that as a namespace error. Such a document is re-read in
    recovery mode only when namespace errors are the sole complaint, since
    the mapper matches local names and no content is lost.
    """
    if body is None or not body.strip():
        raise ResponseError(f"{what}: empty body")
    if b"<!DOCTYPE" in body[:4096] or b"<!ENTITY" in body[:65536]:
        raise ResponseError(f"{what}: document declares a DTD or entities, which MWS never sends; refused")
    parser = _parser()
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        log = parser.error_log  # this parse's complaints only (the exception's log is shared)
        if log and all(e.domain_name == "NAMESPACE" for e in log if e.level_name != "WARNING"):
            root = etree.fromstring(body, _parser(recover=True))
            if root is None:
                raise ResponseError(f"{what}: not well-formed XML ({exc})") from None
        else:
            raise ResponseError(f"{what}: not well-formed XML ({_first_line(exc)})") from None
    except ValueError as exc:  # e.g. a str with an encoding declaration
        raise ResponseError(f"{what}: unreadable XML ({exc})") from None
    _refuse_dtd(root, what)
    return root


def _first_line(exc):
    return str(exc).splitlines()[0][:300] if str(exc) else exc.__class__.__name__


def local_name(element):
    tag = element.tag
    if not isinstance(tag, str):
        return None  # comment or processing instruction
    return tag.rpartition("}")[2]


def children(element):
    """Child elements only (no comments, PIs or stray text)."""
    return [c for c in element if isinstance(c.tag, str)]


def find(element, name):
    """First child with local name `name`, in any namespace."""
    for child in element:
        if isinstance(child.tag, str) and child.tag.rpartition("}")[2] == name:
            return child
    return None


def find_text(element, name, default=None):
    child = find(element, name) if element is not None else None
    if child is None or child.text is None:
        return default
    return child.text.strip()


def iterparse_safe(source, events=("end",), tag=None):
    """Streaming parse with the same protections, for large reports."""
    return etree.iterparse(source, events=events, tag=tag, **_PARSER_OPTIONS)
