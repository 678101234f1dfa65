"""The API's views, one module per resource; the URL module names them from here."""
