-- koku rows for the demo clusters of tools/demodata/generate.py (the cluster ids and names must match its CLUSTERS).
--
--   cluster (name)                                                org      koku state
--   a1f0c3d2-5b6e-4c7a-8d9e-0f1a2b3c4d01 (alpha)                  1234567  active
--   b2e1d4c3-6c7f-4d8b-9e0f-1a2b3c4d5e02 (beta)                   1234567  active
--   c3f2e5d4-7d80-4e9c-8f1a-2b3c4d5e6f03 (gamma)                  7654321  active
--   d4a3f6e5-8e91-4fad-9a2b-3c4d5e6f7a04 (delta-paused)           1234567  source and provider paused
--   e5b4a7f6-9fa2-4abe-8b3c-4d5e6f7a8b05 (epsilon-pending-delete) 1234567  source pending_delete
--   f6c5b8a7-a0b3-4bcf-9c4d-5e6f7a8b9c06 (zeta-extra-key)         1234567  credentials carry an extra key, so koku's
--                                                                           listener would never match them
--   07d6c9b8-b1c4-4cd0-8d5e-6f7a8b9c0d07 (eta-unregistered)       -        no rows at all
--
-- The active-clusters SQL of koku-ingestion.md section 4.3 returns alpha, beta, gamma and zeta-extra-key
-- (listener_match false for zeta). Idempotent: rows that exist are left alone.
BEGIN;

INSERT INTO public.api_customer (id, date_created, date_updated, uuid, account_id, org_id, schema_name) VALUES
    (1, '2026-01-15 10:00:00+00', '2026-01-15 10:00:00+00', '0c1d2e3f-4a5b-4c6d-8e7f-000001234567', '10001', '1234567', 'org1234567'),
    (2, '2026-02-20 09:30:00+00', '2026-02-20 09:30:00+00', '0c1d2e3f-4a5b-4c6d-8e7f-000007654321', '20002', '7654321', 'org7654321')
ON CONFLICT DO NOTHING;

INSERT INTO public.api_providerauthentication (id, uuid, credentials) VALUES
    (1, '3b9f0c01-2d4e-4a5b-8c6d-000000000001', '{"cluster_id": "a1f0c3d2-5b6e-4c7a-8d9e-0f1a2b3c4d01"}'),
    (2, '3b9f0c01-2d4e-4a5b-8c6d-000000000002', '{"cluster_id": "b2e1d4c3-6c7f-4d8b-9e0f-1a2b3c4d5e02"}'),
    (3, '3b9f0c01-2d4e-4a5b-8c6d-000000000003', '{"cluster_id": "c3f2e5d4-7d80-4e9c-8f1a-2b3c4d5e6f03"}'),
    (4, '3b9f0c01-2d4e-4a5b-8c6d-000000000004', '{"cluster_id": "d4a3f6e5-8e91-4fad-9a2b-3c4d5e6f7a04"}'),
    (5, '3b9f0c01-2d4e-4a5b-8c6d-000000000005', '{"cluster_id": "e5b4a7f6-9fa2-4abe-8b3c-4d5e6f7a8b05"}'),
    (6, '3b9f0c01-2d4e-4a5b-8c6d-000000000006', '{"cluster_id": "f6c5b8a7-a0b3-4bcf-9c4d-5e6f7a8b9c06", "extra": "added-by-hand"}')
ON CONFLICT DO NOTHING;

INSERT INTO public.api_provider (uuid, name, type, authentication_id, billing_source_id, customer_id, created_by_id,
                                 setup_complete, created_timestamp, polling_timestamp, data_updated_timestamp,
                                 active, paused, infrastructure_id, additional_context) VALUES
    ('7e1d0a01-5c3b-4f2a-9d8e-000000000001', 'alpha', 'OCP', 1, NULL, 1, NULL, true, '2026-01-15 10:05:00+00', NULL, '2026-11-01 00:00:00+00', true, false, NULL, '{}'),
    ('7e1d0a01-5c3b-4f2a-9d8e-000000000002', 'beta', 'OCP', 2, NULL, 1, NULL, true, '2026-01-16 11:00:00+00', NULL, '2026-11-01 00:00:00+00', true, false, NULL, '{}'),
    ('7e1d0a01-5c3b-4f2a-9d8e-000000000003', 'gamma', 'OCP', 3, NULL, 2, NULL, true, '2026-02-20 09:35:00+00', NULL, '2026-11-01 00:00:00+00', true, false, NULL, '{}'),
    ('7e1d0a01-5c3b-4f2a-9d8e-000000000004', 'delta-paused', 'OCP', 4, NULL, 1, NULL, true, '2026-03-01 08:00:00+00', NULL, NULL, true, true, NULL, '{}'),
    ('7e1d0a01-5c3b-4f2a-9d8e-000000000005', 'epsilon-pending-delete', 'OCP', 5, NULL, 1, NULL, false, '2026-03-02 08:00:00+00', NULL, NULL, true, false, NULL, '{}'),
    ('7e1d0a01-5c3b-4f2a-9d8e-000000000006', 'zeta-extra-key', 'OCP', 6, NULL, 1, NULL, false, '2026-03-03 08:00:00+00', NULL, NULL, true, false, NULL, '{}')
ON CONFLICT DO NOTHING;

-- auth_header: the base64 x-rh-identity of the request that created the source (as the gateway builds it).
INSERT INTO public.api_sources (source_id, source_uuid, name, auth_header, "offset", account_id, org_id, source_type,
                                authentication, billing_source, koku_uuid, provider_id, paused, pending_delete,
                                pending_update, out_of_order_delete, status, additional_context, updated_timestamp)
SELECT s.source_id, s.uuid::uuid, s.name,
       replace(encode(convert_to(json_build_object(
           'identity', json_build_object('org_id', s.org_id, 'account_number', s.account_id, 'type', 'User',
                                         'user', json_build_object('username', 'admin-' || s.org_id,
                                                                   'email', 'admin@example.com',
                                                                   'is_org_admin', true)),
           'entitlements', json_build_object('cost_management', json_build_object('is_entitled', true)))::text,
           'UTF8'), 'base64'), E'\n', ''),
       s.source_id, s.account_id, s.org_id, 'OCP',
       s.authentication::jsonb, '{}'::jsonb, s.uuid, s.uuid::uuid, s.paused, s.pending_delete,
       false, false, '{}'::jsonb, '{}'::jsonb, '2026-11-01 00:00:00+00'::timestamptz
FROM (VALUES
    (1, '7e1d0a01-5c3b-4f2a-9d8e-000000000001', 'alpha', '10001', '1234567', false, false,
     '{"credentials": {"cluster_id": "a1f0c3d2-5b6e-4c7a-8d9e-0f1a2b3c4d01"}}'),
    (2, '7e1d0a01-5c3b-4f2a-9d8e-000000000002', 'beta', '10001', '1234567', false, false,
     '{"credentials": {"cluster_id": "b2e1d4c3-6c7f-4d8b-9e0f-1a2b3c4d5e02"}}'),
    (3, '7e1d0a01-5c3b-4f2a-9d8e-000000000003', 'gamma', '20002', '7654321', false, false,
     '{"credentials": {"cluster_id": "c3f2e5d4-7d80-4e9c-8f1a-2b3c4d5e6f03"}}'),
    (4, '7e1d0a01-5c3b-4f2a-9d8e-000000000004', 'delta-paused', '10001', '1234567', true, false,
     '{"credentials": {"cluster_id": "d4a3f6e5-8e91-4fad-9a2b-3c4d5e6f7a04"}}'),
    (5, '7e1d0a01-5c3b-4f2a-9d8e-000000000005', 'epsilon-pending-delete', '10001', '1234567', false, true,
     '{"credentials": {"cluster_id": "e5b4a7f6-9fa2-4abe-8b3c-4d5e6f7a8b05"}}'),
    (6, '7e1d0a01-5c3b-4f2a-9d8e-000000000006', 'zeta-extra-key', '10001', '1234567', false, false,
     '{"credentials": {"cluster_id": "f6c5b8a7-a0b3-4bcf-9c4d-5e6f7a8b9c06", "extra": "added-by-hand"}}')
) AS s (source_id, uuid, name, account_id, org_id, paused, pending_delete, authentication)
ON CONFLICT DO NOTHING;

SELECT setval(pg_get_serial_sequence('public.api_customer', 'id'), (SELECT max(id) FROM public.api_customer));
SELECT setval(pg_get_serial_sequence('public.api_providerauthentication', 'id'),
              (SELECT max(id) FROM public.api_providerauthentication));

COMMIT;
