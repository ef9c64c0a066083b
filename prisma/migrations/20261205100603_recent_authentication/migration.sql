-- AlterTable
ALTER TABLE "sessions" ADD COLUMN     "credentials_proven_at" TIMESTAMPTZ(3);
