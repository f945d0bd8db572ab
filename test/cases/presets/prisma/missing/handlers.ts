// @prisma/client is not installed (the client was never generated): no types at all.
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

export async function handlers(id: string) {
  const users = await prisma.user.findMany();
  await prisma.user.findMany({ where: { id } });
  await prisma.post.create({ data: {} });
  await prisma.$queryRaw`SELECT 1`;
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id }, data: {} });
  });
  await prisma.$connect();
  return users;
}
