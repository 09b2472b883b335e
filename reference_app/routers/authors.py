"""Authors and their books, loaded eagerly with selectinload (DATA-06)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from reference_app.database import SessionDep
from reference_app.ids import DbId
from reference_app.models import Author, Book
from reference_app.schemas import error_responses

router = APIRouter(tags=["authors"])


class AuthorCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)


class BookCreate(BaseModel):
    title: str = Field(min_length=1, max_length=200)


class BookOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str


class AuthorOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str


class AuthorWithBooks(AuthorOut):
    books: list[BookOut]


async def _author_or_404(session: AsyncSession, author_id: int) -> Author:
    author = await session.get(Author, author_id)
    if author is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Author not found")
    return author


@router.post("/authors", response_model=AuthorOut, status_code=status.HTTP_201_CREATED)
async def create_author(
    payload: AuthorCreate, session: SessionDep, request: Request, response: Response
) -> AuthorOut:
    author = Author(name=payload.name)
    session.add(author)
    await session.flush()
    response.headers["Location"] = request.app.url_path_for(
        "author_with_books", author_id=author.id
    )
    return AuthorOut.model_validate(author)


@router.post(
    "/authors/{author_id}/books",
    response_model=BookOut,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(404),
)
async def create_book(author_id: DbId, payload: BookCreate, session: SessionDep) -> BookOut:
    await _author_or_404(session, author_id)
    book = Book(title=payload.title, author_id=author_id)
    session.add(book)
    await session.flush()
    return BookOut.model_validate(book)


@router.get(
    "/authors/{author_id}/with-books",
    response_model=AuthorWithBooks,
    responses=error_responses(404),
)
async def author_with_books(author_id: DbId, session: SessionDep) -> AuthorWithBooks:
    """One query for the author, one for all its books: no N+1, no lazy load in async code."""
    author = await session.scalar(
        select(Author).where(Author.id == author_id).options(selectinload(Author.books))
    )
    if author is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Author not found")
    return AuthorWithBooks.model_validate(author)
