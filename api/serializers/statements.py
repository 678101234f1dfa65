"""xAPI statements: what a client posts, what the store returns, and the query parameters."""

from rest_framework import serializers


class StatementSerializer(serializers.Serializer):
    """An xAPI 1.0.3 statement. Only its shape is documented here: the learning records service
    validates it (actor is you, verb and object IRIs, result ranges, id a UUID)."""

    id = serializers.UUIDField(required=False, help_text="Set by you to make posting idempotent.")
    actor = serializers.JSONField(help_text='You: {"mbox": "mailto:…"} or {"account": {"homePage", "name"}}.')
    verb = serializers.JSONField(help_text='{"id": IRI}')
    object = serializers.JSONField(help_text='{"objectType": "Activity", "id": IRI of one of this site\'s activities}')
    result = serializers.JSONField(required=False, help_text="score {raw, min, max, scaled}, success, completion")
    timestamp = serializers.DateTimeField(required=False)


class StoredStatementSerializer(serializers.Serializer):
    """A statement as stored: the statement received, with its ``id`` and the ``stored`` time set."""

    id = serializers.UUIDField()
    actor = serializers.DictField()
    verb = serializers.DictField()
    object = serializers.DictField()
    stored = serializers.CharField()


class StatementResultSerializer(serializers.Serializer):
    statements = serializers.ListField(child=serializers.DictField())
    more = serializers.CharField(
        allow_blank=True,
        help_text="Empty when this is the last page; otherwise the relative IRL of the next page of the same "
        "query (same filters and order, statements stored meanwhile left out). Opaque, signed, valid for "
        "24 hours and only for the learner it was issued to.",
    )


class StatementQuerySerializer(serializers.Serializer):
    statementId = serializers.UUIDField(  # noqa: N815 - the xAPI parameter name
        required=False, help_text="Answer with that statement alone (only `format` and `attachments` may join)."
    )
    voidedStatementId = serializers.UUIDField(  # noqa: N815 - the xAPI parameter name
        required=False,
        help_text="A voided statement, by its id (voided statements are left out of every other query).",
    )
    agent = serializers.CharField(required=False, max_length=2000, help_text="A JSON agent: its statements.")
    registration = serializers.UUIDField(required=False, help_text="Statements of this registration.")
    related_activities = serializers.ChoiceField(
        choices=["true", "false"], required=False, default="false", help_text="true: the activity anywhere."
    )
    related_agents = serializers.ChoiceField(
        choices=["true", "false"], required=False, default="false", help_text="true: the agent anywhere."
    )
    verb = serializers.CharField(required=False, max_length=500, help_text="Verb IRI.")
    activity = serializers.CharField(required=False, max_length=500, help_text="Object (activity) IRI.")
    since = serializers.DateTimeField(required=False, help_text="Stored after this time.")
    until = serializers.DateTimeField(required=False, help_text="Stored at or before this time.")
    limit = serializers.IntegerField(
        required=False, min_value=0, max_value=500, default=0, help_text="0 (or above 100): the server's maximum, 100."
    )
    ascending = serializers.ChoiceField(
        choices=["true", "false"], required=False, default="false", help_text="true: oldest stored first."
    )
    format = serializers.ChoiceField(
        choices=["exact", "ids", "canonical"],
        required=False,
        default="exact",
        help_text="exact: as received; ids: agents, verbs and activities by their identifiers only; "
        "canonical: as exact (the store keeps the definitions it received).",
    )
    attachments = serializers.ChoiceField(
        choices=["true", "false"],
        required=False,
        default="false",
        help_text="true: a multipart/mixed answer with the attachments' bytes after the statements.",
    )
    more = serializers.CharField(
        required=False, max_length=4000, help_text="The next page, as given in `more`; alone, no other parameter."
    )

    def validate(self, data):
        single = {"statementId", "voidedStatementId"} & set(self.initial_data)
        if len(single) == 2:
            raise serializers.ValidationError(
                {"voidedStatementId": ["Ask for statementId or voidedStatementId, not both."]},
                code="conflicting_parameters",
            )
        if single:
            others = set(self.initial_data) - single - {"format", "attachments"}
            if others:
                name = sorted(others)[0]
                raise serializers.ValidationError(
                    {name: [f"With {single.pop()} only format and attachments may be given."]},
                    code="single_statement_parameters",
                )
        if "more" in self.initial_data and len(self.initial_data) > 1:
            name = sorted(set(self.initial_data) - {"more"})[0]
            raise serializers.ValidationError(
                {name: ["A more link carries its whole query: send it alone."]}, code="more_alone"
            )
        return data


class StatementPutQuerySerializer(serializers.Serializer):
    statementId = serializers.UUIDField()  # noqa: N815 - the xAPI parameter name
