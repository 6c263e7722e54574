# Minimal Superset config for the ground-truth dump (no services are contacted).
SECRET_KEY = "groundtruth-not-a-secret-groundtruth-not-a-secret"
SQLALCHEMY_DATABASE_URI = "sqlite:////work/gt/home/superset/superset.db"
WTF_CSRF_ENABLED = True
# The default metastore-backed caches do not accept an argument that newer
# Flask-Caching releases pass; in-process caches avoid it.
FILTER_STATE_CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache"}
EXPLORE_FORM_DATA_CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache"}
CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache"}
DATA_CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache"}
