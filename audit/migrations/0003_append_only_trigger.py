"""On PostgreSQL the database itself refuses to change the audit log: no DELETE, no TRUNCATE,
and no UPDATE except the one-time seal (an unsealed row gaining seq, prev_hash and entry_hash
and nothing else). Other databases rely on the model's guards and on the hash chain."""

from django.db import migrations

INSTALL = """
CREATE OR REPLACE FUNCTION audit_auditevent_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.entry_hash = '' AND NEW.entry_hash <> '' AND NEW.seq IS NOT NULL
       AND to_jsonb(OLD) - ARRAY['seq', 'prev_hash', 'entry_hash']
           = to_jsonb(NEW) - ARRAY['seq', 'prev_hash', 'entry_hash'] THEN
        RETURN NEW;
    END IF;
    -- `manage.py flush` (which empties every table, as tests do) sets this for its TRUNCATE
    IF TG_OP = 'TRUNCATE' AND current_setting('kofu.audit_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_guard();
CREATE TRIGGER audit_auditevent_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_guard();
"""

UNINSTALL = """
DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_auditevent_guard();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chain")]

    operations = [
        migrations.RunPython(_on_postgresql(INSTALL), _on_postgresql(UNINSTALL), elidable=False)
    ]
