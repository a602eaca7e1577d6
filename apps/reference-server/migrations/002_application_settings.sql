-- Every application setting lives in one document of the values changed from their defaults
-- (repositories/settings.ts merges it over the defaults): a DELETE resets it to '{}'.
ALTER TABLE app_settings ADD COLUMN application jsonb NOT NULL DEFAULT '{}'::jsonb;
UPDATE app_settings SET application = jsonb_build_object('show_security_notifications', true)
  WHERE show_security_notifications;
ALTER TABLE app_settings DROP COLUMN show_security_notifications;
