-- +goose Up
-- One job at a time (每名研究生只能担任一项岗位): the most CONFIRMED employments with overlapping
-- work periods a student may hold in the year; NULL is no limit. The bound repeats the service's
-- validation of AcademicYear.MaxConcurrentEmployments; db/schema_test.go compares them.
ALTER TABLE academic_years ADD COLUMN max_concurrent_employments integer
    CHECK (max_concurrent_employments >= 1);

-- +goose Down
ALTER TABLE academic_years DROP COLUMN max_concurrent_employments;
