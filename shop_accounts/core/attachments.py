"""Email attachments by reference: an outbox row names a loader and a
reference (a storage path, an invoice id), and the bytes are read when the
email is sent, not copied into the database when it is queued.

`storage` (a path in Django's default file storage) is built in. An app with
documents of its own registers a loader once, in its `AppConfig.ready()`
(`register_attachment_loader("invoice_pdf", invoice_pdf_bytes)`), so the
worker finds it too.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.storage import default_storage

AttachmentLoader = Callable[[str], bytes]


class UnknownAttachmentLoader(LookupError):
    """An attachment names a loader nobody registered."""

    code = "unknown_attachment_loader"


@dataclass(frozen=True)
class Attachment:
    """A file to attach to a queued email: its name and content type as the
    recipient sees them, and where the bytes are read from at send time."""

    filename: str
    content_type: str
    reference: str
    loader: str = "storage"


def _from_storage(path: str) -> bytes:
    with default_storage.open(path, "rb") as file:
        return file.read()


_loaders: dict[str, AttachmentLoader] = {"storage": _from_storage}


def register_attachment_loader(name: str, loader: AttachmentLoader) -> None:
    """Make `loader` (reference -> bytes) available to attachments under `name`."""
    _loaders[name] = loader


def check_loader(name: str) -> None:
    """Raise UnknownAttachmentLoader unless `name` is registered (checked when
    an email is queued, so a typo fails in the action, not in the worker)."""
    if name not in _loaders:
        raise UnknownAttachmentLoader(name)


def load_attachment(loader: str, reference: str) -> bytes:
    """The bytes of one attachment, read now."""
    check_loader(loader)
    return _loaders[loader](reference)
