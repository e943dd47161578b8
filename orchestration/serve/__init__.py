"""`roundabout serve`: an HTTP matching API over the published warehouse (read-only), in the
shape of yente's ``/match/{dataset}``, answered by the screening engine (docs/screening.md,
"Matching API")."""

from orchestration.serve.app import create_app
from orchestration.serve.matcher import Matcher

__all__ = ["Matcher", "create_app"]
