import { PrismaClient } from '@prisma/client';

export const prisma = new PrismaClient();

export async function handlers(id: string) {
  await prisma.user.findMany();
  await prisma.user.findUnique({ where: { id } });
  await prisma.user.count();
  await prisma.user.create({ data: { name: 'a' } });
  await prisma.user.upsert({ where: { id }, create: {}, update: {} });
  await prisma.user.deleteMany();
  await prisma.$queryRaw`SELECT * FROM users`;
  await prisma.$queryRawUnsafe('SELECT 1');
  await prisma.$executeRaw`UPDATE users SET name = ''`;
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id }, data: {} });
  });
  await prisma.$connect();
}
