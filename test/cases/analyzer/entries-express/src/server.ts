import express, { type NextFunction, type Request, type Response } from 'express';

const app = express();
const router = express.Router();

function requireUser(req: Request, res: Response, next: NextFunction): void {
  if (!req.headers['x-user']) {
    res.status(401).end();
    return;
  }
  next();
}

router.post('/orders', requireUser, (req: Request, res: Response) => {
  const total = Number(req.body.total);
  res.json({ total });
});

app.get('/health', (_req, res) => {
  res.send('ok');
});

app.use('/api', router);
app.listen(3000);
