// ESLint 9 flat config. eslint-config-next 16 ships flat-config arrays:
// `eslint-config-next/core-web-vitals` (Next + React + hooks + a11y + import rules)
// and `eslint-config-next/typescript` (typescript-eslint recommended).
import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    rules: {
      // Unused code is an error, except deliberately ignored `_names`.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      "@typescript-eslint/no-unused-expressions": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": ["warn", { allow: ["warn", "error"] }],
      eqeqeq: ["error", "always", { null: "ignore" }],
    },
  },
  {
    // Tests, scripts and test infrastructure talk to the terminal on purpose.
    files: ["tests/**", "e2e/**", "scripts/**", "bench/**", "**/*.test.ts", "**/*.mjs"],
    rules: { "no-console": "off" },
  },
  {
    // Tool config files conventionally export an anonymous object.
    files: ["*.config.mjs", "*.config.ts"],
    rules: { "import/no-anonymous-default-export": "off" },
  },
  {
    ignores: [".next/**", ".data/**", ".build/**", "node_modules/**", "coverage/**", "test-results/**", "drizzle/meta/**", "next-env.d.ts"],
  },
];

export default config;
