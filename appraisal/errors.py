class DomainError(Exception):
    """A rule of the domain refused an action; ``message`` is shown to the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(DomainError):
    pass


class PhaseError(DomainError):
    pass
