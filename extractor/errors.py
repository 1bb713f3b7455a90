"""Typed errors raised for bad input."""


class ExtractorError(Exception):
    """Base class of every error the library raises on purpose."""


class InputError(ExtractorError):
    """An input file that cannot be turned into text; names the file."""

    def __init__(self, path, reason):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class MissingFileError(InputError, FileNotFoundError):
    """The path does not exist or is not a file."""


class BinaryFileError(InputError):
    """The bytes are not text (NUL bytes, control characters)."""


class DecodeError(InputError, UnicodeError):
    """The bytes are not valid in any supported encoding."""


class FileTooLargeError(InputError):
    """The file is larger than the configured limit."""


class SettingsError(ExtractorError, ValueError):
    """An invalid setting."""


class LexiconError(ExtractorError):
    """A data file under extractor/data is malformed."""
