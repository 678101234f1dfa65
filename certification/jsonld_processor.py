"""pyld's JSON-LD processor with type-scoped contexts found in its cache again.

pyld caches a processed context per (context, active context), keyed by the active context's
``_uuid``. A type-scoped context (every ``type`` the Open Badges 3.0 context defines: Achievement,
AchievementSubject, Result, Alignment, Evidence, ...) does not propagate, so before processing one
pyld 3.3.0 makes a child of the active context that remembers the previous one, and that child gets
a fresh ``_uuid`` every time. Its processed result is therefore never found again: canonicalising one
credential re-processed nine type-scoped contexts (about a hundred term definitions) on every call,
about 40% of a verification's time (bench/certificates.py).

:class:`Processor` keeps that child per active context, so the same type under the same context is
the same cache key on the next call. The child is what pyld itself would build (a clone of the active
context with ``previousContext`` set to it) and nothing changes it after it is made, so the output is
the same N-Quads; ``tests/certification/test_jsonld_processor.py`` compares both processors over every
kind of credential the site signs. The shortcut is taken only where pyld would make that child: a
non-propagating inline context without its own ``@propagate``, on an active context that has no
previous one. Anything else, and any pyld other than the version it was written against, goes
through pyld unchanged.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict

import pyld
from pyld.canon import URDNA2015
from pyld.jsonld import IdentifierIssuer, JsonLdProcessor, _is_absolute_iri

#: The pyld versions whose ``_process_context`` this was checked against.
CHECKED_VERSIONS = {"3.3.0"}
_CHILDREN_KEPT = 256  # active contexts: a site signs a handful of shapes, so a small bound suffices


class Processor(JsonLdProcessor):
    def __init__(self) -> None:
        super().__init__()
        self._enabled = pyld.__about__.__version__ in CHECKED_VERSIONS

    def normalize_expanded(self, expanded: list, options: dict) -> str:
        """URDNA2015 canonical N-Quads of a document already in expanded form.

        ``normalize`` would expand it again (``to_rdf`` always expands first): idempotent, as JSON-LD
        expansion of an expanded document is, but 60% of canonicalising a credential. This builds the
        dataset from the expanded form exactly as pyld's ``to_rdf`` does after its expansion (a node
        map of the default graph and any named graphs with absolute IRIs, each graph to RDF), then
        runs the same URDNA2015. Under a pyld it was not checked against, it calls ``normalize``.
        """
        if not self._enabled:
            return self.normalize(expanded, {**options, "algorithm": "URDNA2015", "format": "application/n-quads"})
        options = {"base": "", "produceGeneralizedRdf": False, "processingMode": "json-ld-1.1", **options}
        options.pop("format", None)
        issuer = IdentifierIssuer("_:b")
        node_map = {"@default": {}}
        # pyld's node map rewrites only a value typed by a blank node, which expansion refuses: the
        # caller's expanded form is read, not changed (tests/certification/test_jsonld_processor.py)
        self._create_node_map(expanded, node_map, "@default", issuer)
        dataset = {
            name: self._graph_to_rdf(graph, issuer, options)
            for name, graph in sorted(node_map.items())
            if name == "@default" or _is_absolute_iri(name)
        }
        return URDNA2015().main(dataset, {**options, "format": "application/n-quads"})

    def _process_context(
        self,
        active_ctx,
        local_ctx,
        options,
        override_protected=False,
        propagate=True,
        validate_scoped=True,
        cycles=None,
    ):
        if self._enabled and not propagate:
            active_ctx = _non_propagating_child(self, active_ctx, local_ctx)
        return super()._process_context(
            active_ctx, local_ctx, options, override_protected, propagate, validate_scoped, cycles
        )


_children: OrderedDict[str, dict] = OrderedDict()
_children_lock = threading.Lock()


def _non_propagating_child(processor: JsonLdProcessor, active_ctx, local_ctx):
    """The child pyld would clone for a non-propagating context, the same object each time."""
    contexts = local_ctx.get("@context") if isinstance(local_ctx, dict) and "@context" in local_ctx else local_ctx
    first = contexts[0] if isinstance(contexts, list) and contexts else contexts
    if (
        not isinstance(first, dict)  # a remote context may carry @propagate: pyld decides
        or "@propagate" in first
        or "@context" in first
        or active_ctx.get("previousContext")
        or "_uuid" not in active_ctx
    ):
        return active_ctx
    key = active_ctx["_uuid"]
    with _children_lock:
        child = _children.get(key)
        if child is not None and child["previousContext"] is active_ctx:
            _children.move_to_end(key)
            return child
        child = processor._clone_active_context(active_ctx)
        child["previousContext"] = active_ctx
        child["_uuid"] = str(uuid.uuid1())
        _children[key] = child
        while len(_children) > _CHILDREN_KEPT:
            _children.popitem(last=False)
    return child
