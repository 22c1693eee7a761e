export { UsageLoading as default } from "@/components/usage/usage-loading";
