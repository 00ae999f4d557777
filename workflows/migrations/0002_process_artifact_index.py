from django.db import migrations

# Subsidy processes are found by their application (the process's artifact); viewflow's own
# table has no index on it.
CREATE = (
    "CREATE INDEX IF NOT EXISTS kofu_process_artifact "
    "ON viewflow_process (artifact_content_type_id, artifact_object_id)"
)
DROP = "DROP INDEX IF EXISTS kofu_process_artifact"


class Migration(migrations.Migration):
    dependencies = [("workflows", "0001_initial")]

    operations = [migrations.RunSQL(CREATE, DROP)]
