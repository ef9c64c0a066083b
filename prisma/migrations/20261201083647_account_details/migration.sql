-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "address1" TEXT,
ADD COLUMN     "address2" TEXT,
ADD COLUMN     "city" TEXT,
ADD COLUMN     "country" TEXT,
ADD COLUMN     "deleted_at" TIMESTAMPTZ(3),
ADD COLUMN     "is_business" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "mfa_enforced" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "phone" TEXT,
ADD COLUMN     "repos_disabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "state" TEXT,
ADD COLUMN     "website" TEXT,
ADD COLUMN     "zipcode" TEXT;

-- AlterTable
ALTER TABLE "sessions" ADD COLUMN     "login_method" TEXT NOT NULL DEFAULT 'PASSWORD';

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "company_website" TEXT,
ADD COLUMN     "is_business" BOOLEAN NOT NULL DEFAULT false;
