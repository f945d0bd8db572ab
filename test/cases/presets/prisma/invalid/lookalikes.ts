class Repository {
  findMany(): string[] {
    return [];
  }
  create(name: string): string {
    return name;
  }
}

const orm = { user: { findMany: () => [] as string[], deleteMany: () => 0 } };

export function lookalikes() {
  const repo = new Repository();
  repo.findMany();
  repo.create('x');
  orm.user.findMany();
  orm.user.deleteMany();
  [1, 2, 3].findLast((n) => n > 1);
}
