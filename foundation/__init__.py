"""The suite's common ground: what every app of the suite needs and none of them owns.

Numbers and dates in the reader's script, the client's address behind trusted proxies, limits on
the JSON a request may carry. It imports none of the suite's apps; each of them may import it.
"""
