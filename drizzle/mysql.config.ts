import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'mysql',
  schema: './src/storage/schema/mysql.ts',
  out: './drizzle/mysql',
})
