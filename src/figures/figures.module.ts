import { Global, Module } from '@nestjs/common';
import { FiguresRepository } from './figures.repository.js';
import { Vocabulary } from './vocabulary.js';

/** What every feature reads figures and the catalog through: the vocabulary of names, and the read model of figures. */
@Global()
@Module({ providers: [Vocabulary, FiguresRepository], exports: [Vocabulary, FiguresRepository] })
export class FiguresModule {}
