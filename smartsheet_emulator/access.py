"""What every handler asks of the API besides the request: the world, and its objects looked up with the token's
access checked. Below the route table and the handlers, so that they import it and nothing imports back up."""

from __future__ import annotations

from .model import Folder, Sheet
from .protocol import ApiError, not_found
from .world import TokenGrant, World


class Access:
    """The world a request is answered against, and its lookups with access checks."""

    def __init__(self, world: World) -> None:
        self.world = world

    # ----- lookups with access checks ----------------------------------------------------------
    def sheet(self, grant: TokenGrant, sheet_id: int) -> Sheet:
        sheet = self.world.sheets.get(sheet_id)
        if sheet is None or sheet.deleted:
            raise not_found()
        if sheet_id in grant.revoked_sheet_ids:
            raise ApiError(403, 1004, "You are not authorized to perform this action.")
        return sheet

    def visible_sheets(self, grant: TokenGrant) -> list[Sheet]:
        return [sheet for sheet in self.world.sheets.values() if not sheet.deleted and sheet.id not in grant.revoked_sheet_ids]

    def container(self, kind: str, container_id: int) -> Folder:
        found: Folder | None = (self.world.workspaces if kind == "workspace" else self.world.folders).get(container_id)
        if found is None:
            raise not_found()
        return found
