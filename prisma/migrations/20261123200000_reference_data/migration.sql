-- Reference data every installation needs: the free-trial plan that registration subscribes new
-- organizations to, and the documented capabilities with the plan's limits.
INSERT INTO "subscription_plans" ("id", "code", "name", "description") VALUES
  ('7f3c2b1a-0000-4000-8000-000000000001', 'FREE_TRIAL', 'Free Trial', 'Free trial subscription for new organizations');

INSERT INTO "capabilities" ("id", "code", "description", "type", "period_type") VALUES
  ('7f3c2b1a-0000-4000-8000-000000000101', 'STORAGE_TOTAL_BYTES', 'Total bytes stored', 'STORAGE', 'ALL_TIME'),
  ('7f3c2b1a-0000-4000-8000-000000000102', 'EGRESS_MONTHLY_BYTES', 'Bytes downloaded this month', 'TRAFFIC', 'MONTHLY');

-- 10 GiB of storage and 50 GiB of monthly egress: both beyond 2^31.
INSERT INTO "plan_capabilities" ("plan_id", "capability_id", "max") VALUES
  ('7f3c2b1a-0000-4000-8000-000000000001', '7f3c2b1a-0000-4000-8000-000000000101', 10737418240),
  ('7f3c2b1a-0000-4000-8000-000000000001', '7f3c2b1a-0000-4000-8000-000000000102', 53687091200);
