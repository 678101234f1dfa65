"""The Learning Record Store under ``/xapi/``: xAPI 1.0.3's Statements, State, Activities, Activity
Profile, Agents, Agent Profile and About resources over HTTP. The rules (validation, storage, voiding,
documents and their concurrency) live in ``lms.statements``; this package is how they speak xAPI."""
