-- The business table of the platform's test service: what an event "does" when a consumer applies it.
create table it_effect (
    id       bigserial    primary key,
    consumer varchar(200) not null,
    note     varchar(500) not null
);
