"""Static model of the Django ORM, used by the ``django_models`` analyzer.

* :mod:`.catalogue`: what the scan knows about code it does not see (Django's own
  and a few common third-party abstract models, field classes and tables);
* :mod:`.fields`: field declarations -> :class:`~.fields.FieldDef` (kind, column,
  keywords after custom ``__init__`` defaults);
* :mod:`.apps`: settings, ``AppConfig`` classes and app labels;
* :mod:`.schema`: model classes, inheritance, primary keys, relations -> ``OrmModel`` facts;
* :mod:`.migrations`: migration files replayed per app and compared with the models.
"""
