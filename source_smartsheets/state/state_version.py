"""The version every state this connector writes carries (`state_version`): a row stream's, a merged stream's and
a stream around rows'. A state of another version is set aside with a reason, never misread."""

STATE_VERSION = 1
