// ESLint 9 flat config (decision 034). Rules that catch defects, not style: Prettier owns
// the layout (`npm run format`), so no rule here is about spacing, quotes or order.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import jsxA11y from "eslint-plugin-jsx-a11y";
import globals from "globals";
import { defineConfig } from "eslint/config";

export default defineConfig(
  {
    ignores: [
      "build/**",
      "data/**",
      "node_modules/**",
      "public/**",
      "test-results/**",
      "playwright-report/**",
      ".cache/**",
      "content/**",
      "coverage/**",
    ],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },

  js.configs.recommended,
  ...tseslint.configs.recommended,

  // Type-aware rules: only the few that find real bugs (a promise nobody awaits or
  // catches, a promise where a void callback is expected, awaiting a non-promise).
  // The project service reuses tsconfig.json, so the run costs one type-check.
  {
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true },
      ],
      // Type imports are erased, so a route can name a server type without bundling the
      // server module into the browser (stack.md trap 2 and 5).
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-import-type-side-effects": "error",
      "no-duplicate-imports": "off",
      "@typescript-eslint/no-explicit-any": "error",
      // `interface AppLoadContext extends LoadContext {}` is how a module augments Remix's type.
      "@typescript-eslint/no-empty-object-type": ["error", { allowInterfaces: "with-single-extends" }],
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-console": "off",
    },
  },

  // The browser: React hooks and accessibility.
  {
    files: ["app/**/*.tsx", "app/**/*.ts"],
    plugins: { "react-hooks": reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
    },
  },
  {
    files: ["app/**/*.tsx"],
    ...jsxA11y.flatConfigs.recommended,
  },
  {
    files: ["app/**/*.tsx"],
    rules: {
      // A named region that scrolls sideways must take the focus, or a keyboard cannot
      // scroll it (WCAG 2.1.1, axe's scrollable-region-focusable: app/components/scroll-region.tsx).
      "jsx-a11y/no-noninteractive-tabindex": ["error", { tags: [], roles: ["tabpanel", "region"], allowExpressionValues: true }],
      // A label that wraps its checkbox and names it inside <span><strong>…</strong></span>.
      "jsx-a11y/label-has-associated-control": ["error", { assert: "either", depth: 4 }],
    },
  },

  // The browser bundle must not load the database or the composition root: route
  // modules reach services through the load context (stack.md trap 2). Types are fine.
  {
    files: ["app/**/*.ts", "app/**/*.tsx"],
    ignores: ["app/**/*.server.ts", "app/**/*.server.tsx", "app/context.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "**/server/db",
                "**/server/db/index",
                "**/server/main",
                "**/server/services",
                "**/server/service-deps",
                "**/server/**/service",
                "**/server/**/*-service",
              ],
              allowTypeImports: true,
              message: "Services reach routes through the load context; import only types from here (stack.md trap 2).",
            },
            {
              group: ["kysely", "pg", "@electric-sql/pglite", "kysely-pglite-dialect", "redis"],
              allowTypeImports: true,
              message: "Database drivers stay on the server.",
            },
          ],
        },
      ],
    },
  },

  // Kysely's own docs write migrations against Kysely<any>: a migration is frozen and must not
  // depend on today's schema type. The migrator and the transaction guard wrap any database.
  {
    files: ["db/migrations/**/*.ts", "server/db/migrate.ts", "server/db/transaction-guard.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },

  // Config files and plain JavaScript.
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { ...globals.node } },
  },
);
