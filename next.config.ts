import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  serverExternalPackages: ["@electric-sql/pglite", "imapflow", "mailparser"],
  poweredByHeader: false,
};

export default nextConfig;
